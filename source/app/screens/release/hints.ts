import type { HintSpec } from '../../keys.js';
import type { ReleaseView } from './use-release-screen-state.js';

export interface ReleaseHintsInput {
	view: ReleaseView;
	phase: string;
	/** The signer prompt shows refusals: it can only be cancelled. */
	promptRefused: boolean;
	/** A rehearsal ran in this session (o opens its report). */
	rehearsed: boolean;
	/** Waiting on an embedded chain: f builds blocks, up to `waitUntil` where known. */
	fastForward: { waitUntil?: number | undefined } | undefined;
	compat: boolean;
	waiverOffered: boolean;
	isGovernance: boolean;
}

/** The keys line of the release screen: what each key does in this view and phase (from the one key table). */
export function releaseHints(h: ReleaseHintsInput): HintSpec[] {
	switch (h.view) {
		case 'vault':
			return [['back', 'esc back'], ['help', 'keys'], 'quit'];
		case 'help':
			return [[['up', 'down'], 'scroll'], ['back', 'esc back'], 'quit'];
		case 'alignment':
		case 'compat-detail':
		case 'report':
			return [[['up', 'down'], 'scroll'], ['back', 'esc back'], ['help', 'keys'], 'quit'];
		case 'compat':
			return [
				[['up', 'down'], 'move'],
				['open', 'details'],
				['filter', 'filter'],
				...(h.waiverOffered ? [['waive', 'waive'] as HintSpec] : []),
				['back', 'esc back'],
				['help', 'keys'],
			];
		case 'waive':
			return [
				['submit', 'record'],
				['leave', 'back'],
			];
		case 'stage':
			break;
	}
	if (h.phase === 'confirm')
		return h.promptRefused
			? [['cancel', 'cancel'], [['up', 'down'], 'scroll'], ['help', 'keys'], 'quit']
			: [['confirm', 'sign and submit'], ['cancel', 'cancel'], [['up', 'down'], 'scroll'], ['help', 'keys'], 'quit'];
	if (h.phase === 'signature-input')
		return [
			['submit', 'check and send the signature'],
			['vault', 'Vault QR'],
			[['pageUp', 'pageDown'], 'scroll'],
			['leave', 'back'],
		];
	if (h.phase === 'signer-input')
		return [['fieldRehearse', 'rehearse on a fork'], ...(h.rehearsed ? [['fieldReport', 'report'] as HintSpec] : [])];
	return [
		['next', 'advance'],
		...(h.fastForward ? [['fastForward', h.fastForward.waitUntil ? `to #${h.fastForward.waitUntil}` : 'next block'] as HintSpec] : []),
		[['up', 'down'], 'stages'],
		...(h.compat ? [['compat', 'compat'] as HintSpec] : []),
		...(h.isGovernance ? [['switchSigner', 'signer'] as HintSpec] : []),
		['alignment', 'gates'],
		...(h.rehearsed ? [['report', 'report'] as HintSpec] : []),
		['back', 'back'],
		['help', 'keys'],
		'quit',
	];
}
