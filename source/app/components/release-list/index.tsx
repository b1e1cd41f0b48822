import { Box, Text } from 'ink';
import { colors, symbols } from '../../theme.js';

export interface ReleaseListItem {
	id: string;
	name: string;
	summary: string;
	/** ISO 8601; shown as UTC "YYYY-MM-DD HH:MM". */
	updatedAt: string;
}

export interface ReleaseListProps {
	releases: ReleaseListItem[];
	selected: number;
	/** Rows shown at once; the window follows the selection (default 10). */
	maxRows?: number;
}

export const RELEASE_LIST_EMPTY =
	'No releases yet. Press n to create the sample release (Rococo 9130 → 9140), or run `release-console new --name … --wasm …`.';

const NAME_WIDTH = 24;
const UPDATED_WIDTH = 16;

export function formatUpdatedAt(iso: string): string {
	const time = Date.parse(iso);
	if (Number.isNaN(time)) return iso;
	return new Date(time).toISOString().slice(0, 16).replace('T', ' ');
}

/** First row to show so that `selected` stays in a window of `rows`. */
export function windowStart(count: number, selected: number, rows: number): number {
	if (count <= rows) return 0;
	const wanted = selected - Math.floor(rows / 2);
	return Math.min(Math.max(0, wanted), count - rows);
}

export function ReleaseList({ releases, selected, maxRows = 10 }: ReleaseListProps) {
	if (releases.length === 0) {
		return (
			<Box>
				<Text color={colors.muted}>{RELEASE_LIST_EMPTY}</Text>
			</Box>
		);
	}
	const rows = Math.max(1, Math.floor(maxRows));
	const start = windowStart(releases.length, selected, rows);
	const visible = releases.slice(start, start + rows);
	const below = releases.length - start - visible.length;

	return (
		<Box flexDirection="column">
			<Box>
				<Box width={2} flexShrink={0} />
				<Box width={NAME_WIDTH} flexShrink={0} marginRight={2}>
					<Text color={colors.muted}>Name</Text>
				</Box>
				<Box flexGrow={1} flexShrink={1}>
					<Text color={colors.muted}>Summary</Text>
				</Box>
				<Box width={UPDATED_WIDTH} flexShrink={0} marginLeft={2}>
					<Text color={colors.muted}>Updated (UTC)</Text>
				</Box>
			</Box>
			{start > 0 ? (
				<Text color={colors.muted}>
					{'  '}↑ {start} more
				</Text>
			) : null}
			{visible.map((release, offset) => {
				const isSelected = start + offset === selected;
				const color = isSelected ? colors.accent : undefined;
				return (
					<Box key={release.id}>
						<Box width={2} flexShrink={0}>
							<Text color={colors.accent}>{isSelected ? symbols.pointer : ' '}</Text>
						</Box>
						<Box width={NAME_WIDTH} flexShrink={0} marginRight={2}>
							<Text bold={isSelected} color={color} wrap="truncate-end">
								{release.name}
							</Text>
						</Box>
						<Box flexGrow={1} flexShrink={1}>
							<Text color={color} wrap="truncate-end">
								{release.summary}
							</Text>
						</Box>
						<Box width={UPDATED_WIDTH} flexShrink={0} marginLeft={2}>
							<Text color={colors.muted}>{formatUpdatedAt(release.updatedAt)}</Text>
						</Box>
					</Box>
				);
			})}
			{below > 0 ? (
				<Text color={colors.muted}>
					{'  '}↓ {below} more
				</Text>
			) : null}
		</Box>
	);
}
