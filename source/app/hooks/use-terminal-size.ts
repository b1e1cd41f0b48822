import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

/**
 * The terminal's columns and rows, followed through resizes. `rows` is undefined
 * where the output is not a terminal that reports them (then nothing is budgeted).
 */
export function useTerminalSize(): { columns: number; rows: number | undefined } {
	const { stdout } = useStdout();
	const read = () => ({ columns: stdout?.columns || 80, rows: stdout?.rows || undefined });
	const [size, setSize] = useState(read);
	useEffect(() => {
		if (!stdout) return;
		const onResize = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows || undefined });
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
