/** Little-endian fixed-width integer encoders. */
export function u32ToU8a(n: number): Uint8Array {
	const out = new Uint8Array(4);
	new DataView(out.buffer).setUint32(0, n >>> 0, true);
	return out;
}

export function u16ToU8a(n: number): Uint8Array {
	const out = new Uint8Array(2);
	new DataView(out.buffer).setUint16(0, n & 0xffff, true);
	return out;
}
