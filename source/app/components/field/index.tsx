import { type ReactNode } from 'react';
import { Box, Text } from 'ink';
import { colors } from '../../theme.js';

export interface FieldProps {
	label: string;
	/** Columns reserved for the label, including the gap after it. */
	labelWidth: number;
	children: ReactNode;
}

/** `Label       value` row shared by the detail views. */
export function Field({ label, labelWidth, children }: FieldProps) {
	return (
		<Box>
			<Box width={labelWidth} flexShrink={0}>
				<Text color={colors.muted} wrap="truncate-end">
					{label}
				</Text>
			</Box>
			<Box flexDirection="column" flexGrow={1} flexShrink={1}>
				{children}
			</Box>
		</Box>
	);
}
