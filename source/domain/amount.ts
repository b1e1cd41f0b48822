/** Amounts in a chain's own unit: planck → "1,000.5 UNIT" with the chain's decimals and symbol. */
export function formatBalance(planck: bigint | string, decimals: number, symbol: string): string {
	const p = BigInt(planck);
	const base = 10n ** BigInt(decimals);
	const whole = (p / base).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	const frac = decimals > 0 ? (p % base).toString().padStart(decimals, '0').replace(/0+$/, '') : '';
	return `${whole}${frac ? `.${frac}` : ''} ${symbol}`;
}
