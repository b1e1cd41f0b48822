/**
 * A masked prompt on the terminal, for keystore passwords and mnemonics in
 * headless commands. What is typed stays in memory and leaves with the process.
 */
export async function promptSecret(
	question: string,
	input: NodeJS.ReadStream = process.stdin,
	output: NodeJS.WriteStream = process.stderr,
): Promise<string> {
	if (!input.isTTY) {
		throw new Error(
			`${question.replace(/:\s*$/, '')} is needed but there is no terminal to ask on; set RELEASE_CONSOLE_PASSWORD (or pass env:VAR for a mnemonic)`,
		);
	}
	output.write(question);
	input.setRawMode(true);
	input.resume();
	let value = '';
	try {
		return await new Promise<string>((resolve, reject) => {
			const onData = (chunk: Buffer) => {
				for (const ch of chunk.toString('utf8')) {
					if (ch === '\r' || ch === '\n') {
						input.off('data', onData);
						output.write('\n');
						resolve(value);
						return;
					}
					if (ch === '\u0003') {
						input.off('data', onData);
						output.write('\n');
						reject(new Error('cancelled'));
						return;
					}
					if (ch === '\u007f' || ch === '\b') {
						if (value.length > 0) {
							value = value.slice(0, -1);
							output.write('\b \b');
						}
						continue;
					}
					value += ch;
					output.write('•');
				}
			};
			input.on('data', onData);
		});
	} finally {
		input.setRawMode(false);
		input.pause();
	}
}
