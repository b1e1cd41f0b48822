/** Hashes as people skim them: 0x1234…cdef (compare whole hashes where it matters). */
export function shortHash(hex: string | undefined, keep = 4): string {
	if (!hex) return '—';
	const has0x = hex.startsWith('0x') || hex.startsWith('0X');
	const body = has0x ? hex.slice(2) : hex;
	if (body.length <= keep * 2 + 1) return hex;
	return `${has0x ? '0x' : ''}${body.slice(0, keep)}…${body.slice(-keep)}`;
}
