import { Text } from 'ink';

export * from './use-text-input-state.js';
export * from './use-text-input.js';

export interface TextInputProps {
	value: string;
	/** Shown before the value, e.g. "> ". */
	prefix?: string;
	/** How the value is shown (e.g. masked); default as typed. */
	display?: (value: string) => string;
	/** Shown dimmed while the value is empty. */
	placeholder?: string;
	/** Draw the cursor (the field has the keys). */
	focus?: boolean;
}

/** A one-line text field: prefix, value, cursor. Wraps rather than hides what was typed. */
export function TextInput({ value, prefix = '', display = (v) => v, placeholder, focus = true }: TextInputProps) {
	return (
		<Text wrap="wrap">
			{prefix}
			{value === '' && placeholder ? <Text dimColor>{placeholder}</Text> : display(value)}
			{focus ? <Text inverse> </Text> : null}
		</Text>
	);
}
