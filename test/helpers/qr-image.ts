/**
 * QR codes back from what the Vault module draws: a module matrix (or the half-block
 * lines drawn from it) painted into an RGBA image and read with jsQR, as a camera would.
 */
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

const jsQR = jsQRModule.default;

export interface RgbaImage {
	data: Uint8ClampedArray;
	width: number;
	height: number;
}

/** Paint a matrix (true = dark) with `scale` pixels a module inside `margin` light modules. */
export function matrixToImage(matrix: boolean[][], { scale = 4, margin = 4 } = {}): RgbaImage {
	const modules = matrix.length + 2 * margin;
	const width = modules * scale;
	const data = new Uint8ClampedArray(width * width * 4);
	for (let y = 0; y < width; y++) {
		for (let x = 0; x < width; x++) {
			const row = Math.floor(y / scale) - margin;
			const column = Math.floor(x / scale) - margin;
			const dark = matrix[row]?.[column] === true;
			const offset = (y * width + x) * 4;
			const value = dark ? 0 : 255;
			data[offset] = value;
			data[offset + 1] = value;
			data[offset + 2] = value;
			data[offset + 3] = 255;
		}
	}
	return { data, width, height: width };
}

/** What a QR code in the image holds, as bytes; undefined where there is none. */
export function decodeImage(image: RgbaImage): Uint8Array | undefined {
	const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
	return code ? Uint8Array.from(code.binaryData) : undefined;
}

/** The matrix of a QR code read back from its picture: what a camera would decode. */
export function decodeMatrix(matrix: boolean[][]): Uint8Array | undefined {
	return decodeImage(matrixToImage(matrix));
}

/**
 * The modules half-block lines show, reading the blocks as light (true = dark): each character
 * is the upper and the lower module of its column. Any other character is an error.
 */
export function linesToMatrix(lines: readonly string[]): boolean[][] {
	const matrix: boolean[][] = [];
	for (const line of lines) {
		const upper: boolean[] = [];
		const lower: boolean[] = [];
		for (const ch of line) {
			const cell = (
				{ '█': [false, false], '▀': [false, true], '▄': [true, false], ' ': [true, true] } as Record<string, [boolean, boolean]>
			)[ch];
			if (!cell) throw new Error(`not a half-block character: ${JSON.stringify(ch)}`);
			upper.push(cell[0]);
			lower.push(cell[1]);
		}
		matrix.push(upper, lower);
	}
	return matrix;
}

/** A PNG file's bytes of the matrix (true = dark). */
export function matrixToPng(matrix: boolean[][], options?: { scale?: number; margin?: number }): Buffer {
	const image = matrixToImage(matrix, options);
	const png = new PNG({ width: image.width, height: image.height });
	png.data = Buffer.from(image.data.buffer);
	return PNG.sync.write(png);
}
