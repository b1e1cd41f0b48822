/**
 * When a proposal under vote is expected to enact, from the vote's live
 * state, and whether that is inside the release window. Pure.
 */
import { ENACTMENT_HOUR_UTC, expectedTimeOf, inEnactmentWindow } from '../domain/enactment.js';
import type { VoteState } from './types.js';
import { finding } from './findings.js';
import type { ReviewProblem } from './types.js';

export interface ExpectedEnactment {
	block: number;
	/** How it was worked out, for the message. */
	how: string;
}

/** The block a referendum enacts at (the earliest, for OpenGov's After(n)); undefined where the state does not say. */
export function expectedEnactment(state: VoteState): ExpectedEnactment | undefined {
	if (state.kind === 'democracy' && state.status === 'ongoing' && state.delay !== undefined)
		return { block: state.end + state.delay, how: `the vote ends at #${state.end}, then an enactment delay of ${state.delay} blocks` };
	if (state.kind === 'opengov' && state.status === 'ongoing' && state.enactment) {
		if ('at' in state.enactment) return { block: state.enactment.at, how: `enactment At(#${state.enactment.at})` };
		if (!state.periods) return undefined;
		const approval = state.confirmingUntil ?? (state.decidingSince ?? state.submitted! + state.periods.prepare) + state.periods.confirm;
		return {
			block: approval + state.enactment.after,
			how: `approved at #${approval} at the earliest, then enactment After(${state.enactment.after})`,
		};
	}
	return undefined;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The enactment-window finding, when the expected enactment falls outside Monday–Wednesday from 08:00 UTC. */
export function enactmentWindowFinding(state: VoteState, now: { block: number; ms: number; blockMs: number }): ReviewProblem | undefined {
	const expected = expectedEnactment(state);
	if (!expected) return undefined;
	const at = expectedTimeOf(expected.block, now.block, now.ms, now.blockMs);
	if (inEnactmentWindow(at)) return undefined;
	const when = new Date(at);
	return finding(
		'enactment-window',
		`expected to enact at block #${expected.block} (${expected.how}), around ${when.toISOString().slice(0, 16)}Z, a ${DAYS[when.getUTCDay()]}: outside Monday–Wednesday from ${String(ENACTMENT_HOUR_UTC).padStart(2, '0')}:00 UTC`,
	);
}
