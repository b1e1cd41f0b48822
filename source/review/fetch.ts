/**
 * The chain side of a review: find the target, follow it to its preimages,
 * decode down to the runtime upgrade (decode.ts does the walking), read the
 * live vote state and the reviewer's role. Reads only; never signs.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Call } from '@polkadot/types/interfaces';
import { blake2AsHex } from '@polkadot/util-crypto';
import type { Hex } from '../domain/types.js';
import { totalIssuance } from '../chain/pallets/balances.js';
import {
	collectiveMembers,
	collectivePrime,
	collectiveProposal,
	collectiveProposals,
	hasCollective,
	COLLECTIVE_PREFIX,
	COLLECTIVE_TITLE,
	motionState,
} from '../chain/pallets/collective.js';
import type { AccountVoteView } from '../chain/pallets/common.js';
import { convictionVoting } from '../chain/pallets/conviction-voting.js';
import { democracyReferendum, democracyVoting, hasDemocracy, nextExternal } from '../chain/pallets/democracy.js';
import { preimageBytes, preimageStatus } from '../chain/pallets/preimage.js';
import { hasReferenda, openGovReferendum, referendaTrack } from '../chain/pallets/referenda.js';
import { isWhitelisted } from '../chain/pallets/whitelist.js';
import { pendingMultisigHashes, pendingMultisigs, storedMultisigCall, storesMultisigCalls } from '../chain/pallets/multisig.js';
import { relayXcmVersionFor } from '../chain/pallets/xcm.js';
import { codeOf, walkCall, partsRef, type CallRef, type RemoteDecoder, type WalkedCall } from './decode.js';
import { ReviewInputError, describeTarget } from './target.js';
import { finding } from './findings.js';
import type {
	CastVote,
	ChainFindings,
	Collective,
	Conviction,
	PreimageCheck,
	ReviewProblem,
	ReviewTarget,
	ReviewerRole,
	UpgradeFinding,
	VoteState,
} from './types.js';

/** FRAME's BoundedInline: BoundedVec<u8, ConstU32<128>>. */
const INLINE_MAX = 128;

const short = (h: string) => (h.length > 14 ? `${h.slice(0, 10)}…${h.slice(-4)}` : h);

/** The target as found on chain: what is voted on, and how. */
export interface ResolvedTarget {
	target: ReviewTarget;
	label: string;
	/** The call voted on (motions), or a reference to it (referenda, external, preimage). */
	top: { kind: 'call'; call: Call; hash: Hex } | { kind: 'ref'; ref: CallRef } | { kind: 'none'; reason: string };
	vote:
		| { kind: 'motion'; collective: Collective; hash: Hex; index: number }
		| { kind: 'democracy'; index: number }
		| { kind: 'opengov'; index: number; track?: number }
		| { kind: 'none'; reason: string };
}

const COLLECTIVE_NAMES: Record<Collective, string> = {
	council: 'council',
	technicalCommittee: 'technical committee',
	collective: 'collective',
};

function collectivesOf(api: ApiPromise, only?: Collective): Collective[] {
	return (['council', 'technicalCommittee', 'collective'] as Collective[]).filter((c) => (!only || c === only) && hasCollective(api, c));
}

async function openMotions(api: ApiPromise): Promise<string[]> {
	const out: string[] = [];
	for (const c of collectivesOf(api)) {
		for (const h of await collectiveProposals(api, c)) {
			const v = await motionState(api, c, h);
			out.push(`${COLLECTIVE_PREFIX[c]}:${v ? v.index : '?'} (${short(h)})`);
		}
	}
	return out;
}

export async function resolveTarget(api: ApiPromise, target: ReviewTarget): Promise<ResolvedTarget> {
	switch (target.kind) {
		case 'motion': {
			const collectives = collectivesOf(api, target.collective);
			if (collectives.length === 0)
				throw new ReviewInputError(
					`this chain has no ${target.collective ? COLLECTIVE_NAMES[target.collective] : 'council or technical committee'}`,
					'review a referendum or a preimage instead',
				);
			const found: Array<{ collective: Collective; hash: Hex; index: number; call: Call }> = [];
			for (const c of collectives) {
				const hashes = target.hash ? [target.hash] : await collectiveProposals(api, c);
				for (const hash of hashes) {
					const [call, voting] = await Promise.all([collectiveProposal(api, c, hash), motionState(api, c, hash)]);
					if (!call) continue;
					const index = voting ? voting.index : -1;
					if (target.index !== undefined && index !== target.index) continue;
					found.push({ collective: c, hash, index, call });
				}
			}
			if (found.length === 0) {
				const open = await openMotions(api);
				throw new ReviewInputError(
					`no open ${describeTarget(target)} on this chain`,
					open.length ? `open motions: ${open.join(', ')}` : 'there are no open motions; it may have been closed already',
				);
			}
			if (found.length > 1) {
				throw new ReviewInputError(
					`${describeTarget(target)} is ambiguous: it matches ${found.map((f) => `${COLLECTIVE_PREFIX[f.collective]}:${f.index}`).join(' and ')}`,
					'say which collective: --motion council:INDEX or --motion tc:INDEX',
				);
			}
			const m = found[0]!;
			return {
				target,
				label: `${COLLECTIVE_NAMES[m.collective]} motion ${m.index}`,
				top: { kind: 'call', call: m.call, hash: m.hash },
				vote: { kind: 'motion', collective: m.collective, hash: m.hash, index: m.index },
			};
		}
		case 'referendum': {
			const withDemocracy = hasDemocracy(api) && target.pallet !== 'referenda';
			const withReferenda = hasReferenda(api) && target.pallet !== 'democracy';
			const [dem, og] = await Promise.all([
				withDemocracy ? democracyReferendum(api, target.index) : undefined,
				withReferenda ? openGovReferendum(api, target.index) : undefined,
			]);
			if (dem && og) {
				throw new ReviewInputError(
					`referendum ${target.index} exists in both Democracy and Referenda (OpenGov)`,
					`say which: --referendum democracy:${target.index} or --referendum opengov:${target.index}`,
				);
			}
			if (!dem && !og) {
				const where = [withDemocracy ? 'Democracy' : '', withReferenda ? 'Referenda (OpenGov)' : ''].filter(Boolean).join(' or ');
				throw new ReviewInputError(
					`no referendum ${target.index} in ${where || 'this chain (it has neither Democracy nor Referenda)'}`,
					'check the index (referendum indices start at 0), or review the motion that will start it',
				);
			}
			if (dem) {
				const label = `referendum ${target.index} (democracy)`;
				const vote = { kind: 'democracy', index: target.index } as const;
				if (!dem.ongoing) {
					const fin = dem.finished!;
					return {
						target,
						label,
						top: {
							kind: 'none',
							reason: `${label} is finished (${fin.approved ? 'approved' : 'not approved'} at block #${fin.end}); its proposal is no longer held by the referendum`,
						},
						vote,
					};
				}
				const proposal = dem.ongoing.proposal;
				if (!proposal)
					return { target, label, top: { kind: 'none', reason: `${label} names no proposal this console can read` }, vote };
				return { target, label, top: { kind: 'ref', ref: partsRef(proposal, 'democracy referendum') }, vote };
			}
			const r = og!;
			let label = `referendum ${target.index} (OpenGov)`;
			if (!r.ongoing) {
				return {
					target,
					label,
					top: { kind: 'none', reason: `${label} is ${r.outcome.toLowerCase()}: nothing left to vote on` },
					vote: { kind: 'opengov', index: target.index },
				};
			}
			const track = r.track;
			const name = referendaTrack(api, track)?.name;
			label = `referendum ${target.index} (OpenGov, track ${name ?? track})`;
			return {
				target,
				label,
				top: { kind: 'ref', ref: partsRef(r.ongoing.proposal, 'referenda referendum') },
				vote: { kind: 'opengov', index: target.index, track },
			};
		}
		case 'external': {
			if (!hasDemocracy(api))
				throw new ReviewInputError('this chain has no Democracy pallet', 'review an OpenGov referendum instead');
			const next = await nextExternal(api);
			const label = 'the external proposal (democracy NextExternal)';
			if (!next)
				throw new ReviewInputError(
					'there is no external proposal waiting (Democracy.NextExternal is empty)',
					'it may have been tabled or fast-tracked already: review the referendum it started',
				);
			return {
				target,
				label,
				top: { kind: 'ref', ref: partsRef(next, 'democracy NextExternal') },
				vote: {
					kind: 'none',
					reason: 'an external proposal is decided by council and technical committee motions (external_propose*, fast_track), not voted on directly',
				},
			};
		}
		case 'preimage':
			return {
				target,
				label: `preimage ${short(target.hash)}`,
				top: { kind: 'ref', ref: { kind: 'preimage-hash', hash: target.hash, from: 'preimage' } },
				vote: { kind: 'none', reason: 'a preimage is not voted on; review the motion or referendum that uses it' },
			};
		case 'multisig': {
			let pending: Awaited<ReturnType<typeof pendingMultisigs>>;
			try {
				pending = await pendingMultisigs(api, target.hash);
			} catch (error) {
				throw new ReviewInputError((error as Error).message, 'review a motion, referendum or preimage instead');
			}
			if (pending.length === 0) {
				const open = await pendingMultisigHashes(api);
				throw new ReviewInputError(
					`no pending multisig operation dispatches call ${target.hash} on this chain`,
					open.length
						? `pending multisig operations: ${open.join(', ')}`
						: 'there are none pending: it may have been executed or cancelled already',
				);
			}
			const ops = pending.map(
				(p) =>
					`${short(p.address)} (${p.state.approvals.length} approval${p.state.approvals.length === 1 ? '' : 's'}: ${p.state.approvals.map(short).join(', ')}; opened at #${p.state.when.height}-${p.state.when.index})`,
			);
			const label = `multisig operation ${short(target.hash)} of ${ops.join(' and ')}`;
			const vote = {
				kind: 'none' as const,
				reason: 'a multisig operation is approved by its signatories (multisig.approveAsMulti / asMulti), not voted on: approve it through a release on the multisig route (advance ID --env NAME --signer …)',
			};
			const bytes = await storedMultisigCall(api, target.hash);
			if (!bytes)
				return {
					target,
					label,
					top: {
						kind: 'none',
						reason: `the call of multisig operation ${target.hash} is not stored on chain (${storesMultisigCalls(api) ? 'Multisig.Calls holds nothing for it' : 'this multisig pallet stores no calls'}): ask its depositor for the call data and review it with --call FILE, whose hash must be ${target.hash}`,
					},
					vote,
				};
			let call: Call;
			try {
				call = api.registry.createType('Call', bytes) as unknown as Call;
			} catch (error) {
				return {
					target,
					label,
					top: {
						kind: 'none',
						reason: `the call stored for multisig operation ${target.hash} does not decode: ${(error as Error).message}`,
					},
					vote,
				};
			}
			if (blake2AsHex(bytes, 256) !== target.hash)
				return { target, label, top: { kind: 'none', reason: `the call stored for ${target.hash} does not hash to it` }, vote };
			return { target, label, top: { kind: 'call', call, hash: target.hash }, vote };
		}
		case 'call': {
			let call: Call;
			try {
				call = api.registry.createType('Call', target.bytes) as unknown as Call;
			} catch (error) {
				throw new ReviewInputError(
					`${target.source} is no call of this chain's runtime: ${(error as Error).message}`,
					'check that --env names the chain the call was built for (its runtime decodes it)',
				);
			}
			if (call.toU8a().length !== target.bytes.length)
				throw new ReviewInputError(
					`${target.source}: ${target.bytes.length} bytes, but the call decodes from the first ${call.toU8a().length}; the rest is not part of it`,
					'pass exactly the call data (no length prefix, nothing after it)',
				);
			return {
				target,
				label: target.source,
				top: { kind: 'call', call, hash: blake2AsHex(target.bytes, 256) as Hex },
				vote: { kind: 'none', reason: 'call data is reviewed before it is proposed: there is nothing to vote on yet' },
			};
		}
	}
}

interface PreimageRead {
	status: PreimageCheck['status'];
	notedLength?: number;
	bytes?: Uint8Array;
}

/** Read a preimage by hash (and length: FRAME's PreimageFor is keyed by (hash, len)). */
async function readPreimage(api: ApiPromise, hash: Hex, len?: number): Promise<PreimageRead> {
	const noted = await preimageStatus(api, hash);
	if (!noted) return { status: 'none' };
	const { status, len: notedLength } = noted;
	const fetchLen = len ?? notedLength;
	if (fetchLen === undefined) return { status, notedLength };
	const bytes = await preimageBytes(api, hash, fetchLen);
	return { status, notedLength, bytes };
}

/** Everything fetch learns on the way down. */
interface Walk {
	steps: string[];
	upgrades: UpgradeFinding[];
	preimages: PreimageCheck[];
	problems: ReviewProblem[];
	notes: string[];
	codes: Map<Hex, Uint8Array>;
	seen: Set<string>;
	decodeRemote?: RemoteDecoder;
	/** Calls that are neither an upgrade nor carry one (nothing below them): what else the proposal does. */
	alsoDoes: string[];
	/** The bytes of every call a reference led to whose bytes hash to it (a preimage, an Inline call), by call hash. */
	calls: Map<Hex, Uint8Array>;
}

function collectCodes(call: Call, into: Map<Hex, Uint8Array>, depth = 0): void {
	const code = codeOf(call);
	if (code) into.set(blake2AsHex(code, 256) as Hex, code);
	if (depth > 16) return;
	for (const arg of call.args) {
		const a = arg as unknown as Call | Call[];
		if (Array.isArray(a)) {
			for (const c of a) if ((c as Call)?.section) collectCodes(c as Call, into, depth + 1);
		} else if ((a as Call)?.section && Array.isArray((a as Call).args)) collectCodes(a as Call, into, depth + 1);
	}
}

async function visitCall(api: ApiPromise, call: Call, walk: Walk, path: string[], depth: number): Promise<void> {
	collectCodes(call, walk.codes);
	const node = walkCall(call, 0, walk.decodeRemote ? { decodeRemote: walk.decodeRemote } : {});
	await visitNode(api, node, walk, path, depth);
}

async function visitNode(api: ApiPromise, node: WalkedCall, walk: Walk, path: string[], depth: number): Promise<void> {
	const pad = '  '.repeat(depth);
	const here = [...path, node.name];
	walk.steps.push(`${pad}${node.line}`);
	if (node.upgrade) {
		const u = node.upgrade;
		walk.upgrades.push({ ...u, path: here, ...(node.destination ? { destination: node.destination } : {}) });
		walk.steps.push(
			`${pad}  ⇒ ${node.destination ? `on ${node.destination}: ` : ''}${u.carriesCode ? 'installs' : 'authorizes'} code hash ${u.codeHash}${u.codeLength !== undefined ? ` (${u.codeLength.toLocaleString('en-US')} bytes of code)` : ''}; call hash of this ${node.name} ${u.callHash}`,
		);
	}
	for (const note of node.notes) walk.notes.push(note);
	if (!node.upgrade && node.children.length === 0 && node.refs.length === 0)
		walk.alsoDoes.push(`${node.destination ? `on ${node.destination}: ` : ''}${node.line}`);
	if (node.xcm?.paraId !== undefined && node.xcm.version !== undefined)
		await checkXcmVersion(api, node.xcm.paraId, node.xcm.version, walk, pad);
	for (const lint of node.lints) {
		walk.problems.push(lint);
		walk.steps.push(`${pad}  ⚠ ${lint.message}`);
	}
	if (node.whitelistCheck) {
		const listed = await isWhitelisted(api, node.whitelistCheck);
		if (listed !== undefined) {
			const line = `the inner call ${short(node.whitelistCheck)} is ${listed ? '' : 'NOT '}whitelisted (Whitelist.WhitelistedCall)`;
			walk.steps.push(`${pad}  ${listed ? '✔' : '⚠'} ${line}`);
			if (!listed)
				walk.problems.push(finding('not-whitelisted', `${line}: dispatch will fail unless it is whitelisted before enactment`));
		}
	}
	for (const ref of node.refs) await visitRef(api, ref, walk, here, depth + 1);
	for (const child of node.children) await visitNode(api, child, walk, here, depth + 1);
}

/** The message's version against the one the relay records for its destination (what pallet-xcm converts it to). */
async function checkXcmVersion(api: ApiPromise, paraId: number, version: number, walk: Walk, pad: string): Promise<void> {
	let supported: number;
	try {
		supported = await relayXcmVersionFor(api, paraId);
	} catch (error) {
		const message = (error as Error).message;
		if (/no XCM pallet/.test(message)) return;
		walk.problems.push(finding('xcm-version', message));
		walk.steps.push(`${pad}  ⚠ ${message}`);
		return;
	}
	if (version <= supported) return;
	const message = `the message to para ${paraId} is v${version}, but this chain records v${supported} for para ${paraId} (SupportedVersion, else SafeXcmVersion): pallet-xcm converts it down, and the send fails if an instruction has no v${supported} form`;
	walk.problems.push(finding('xcm-version', message));
	walk.steps.push(`${pad}  ⚠ ${message}`);
}

async function visitRef(api: ApiPromise, ref: CallRef, walk: Walk, path: string[], depth: number): Promise<void> {
	const pad = '  '.repeat(depth);
	if (ref.kind !== 'external-hash' && (walk.seen.has(ref.hash) || depth > 24)) {
		walk.steps.push(`${pad}→ ${short(ref.hash)} (already followed)`);
		return;
	}
	if (ref.kind === 'external-hash') {
		const next = hasDemocracy(api) ? await nextExternal(api) : undefined;
		if (next) {
			const inner = partsRef(next, 'democracy NextExternal');
			if (inner.hash === ref.hash) {
				walk.steps.push(`${pad}→ fast-tracks the external proposal ${short(ref.hash)} (Democracy.NextExternal)`);
				return visitRef(api, inner, walk, [...path, 'NextExternal'], depth);
			}
			walk.problems.push(
				finding(
					'fast-track-mismatch',
					`${ref.from} names proposal ${ref.hash}, but the external proposal waiting is ${inner.hash}: fast_track will fail with ProposalMissing`,
				),
			);
		} else {
			walk.problems.push(
				finding(
					'fast-track-mismatch',
					`${ref.from} names proposal ${ref.hash}, but there is no external proposal waiting (Democracy.NextExternal is empty)`,
				),
			);
		}
		// Still look the hash up as a preimage, so the reviewer sees what it would run.
		return visitRef(api, { kind: 'preimage-hash', hash: ref.hash, from: ref.from }, walk, path, depth);
	}
	walk.seen.add(ref.hash);
	const expected = ref.len;
	const via = ref.kind === 'bounded' ? ref.via : ref.from;
	let check: PreimageCheck;
	let bytes: Uint8Array | undefined;
	if (ref.kind === 'bounded' && ref.via === 'Inline') {
		bytes = ref.inline!;
		check = {
			via,
			hash: ref.hash,
			status: 'inline',
			present: true,
			length: bytes.length,
			hashMatches: true,
			...(expected === undefined ? {} : { expectedLength: expected }),
		};
		walk.steps.push(
			`${pad}→ Inline call ${short(ref.hash)} (${bytes.length.toLocaleString('en-US')} bytes, held in the proposal itself)`,
		);
		if (bytes.length > INLINE_MAX)
			walk.problems.push(
				finding(
					'inline-too-long',
					`the Inline call ${ref.hash} from ${ref.from} is ${bytes.length} bytes; Bounded::Inline holds at most ${INLINE_MAX}: the chain does not decode it`,
				),
			);
	} else {
		const read = await readPreimage(api, ref.hash, expected);
		bytes = read.bytes;
		const lengthMatches = expected !== undefined && read.notedLength !== undefined ? expected === read.notedLength : undefined;
		check = {
			via,
			hash: ref.hash,
			status: read.status,
			present: Boolean(bytes),
			...(expected === undefined ? {} : { expectedLength: expected }),
			...(read.notedLength === undefined ? {} : { notedLength: read.notedLength }),
			...(bytes ? { length: bytes.length, hashMatches: blake2AsHex(bytes, 256) === ref.hash } : {}),
			...(lengthMatches === undefined ? {} : { lengthMatches }),
		};
		const lenText = expected !== undefined ? `len ${expected.toLocaleString('en-US')}` : 'no length given';
		const noted =
			read.notedLength !== undefined
				? `noted with length ${read.notedLength.toLocaleString('en-US')}`
				: read.status === 'none'
					? 'not noted'
					: 'requested, not noted yet';
		walk.steps.push(
			`${pad}→ ${via} ${short(ref.hash)} (${lenText}): preimage ${bytes ? 'present' : 'MISSING'}, ${noted}${lengthMatches === false ? ' ✖ LENGTH DIFFERS' : lengthMatches ? ' ✔' : ''}`,
		);
		if (lengthMatches === false) {
			walk.problems.push(
				finding(
					'preimage-length',
					`the preimage of ${ref.hash} is noted with length ${read.notedLength}, but ${ref.from} refers to it with length ${expected}: the call cannot be fetched at enactment`,
				),
			);
		} else if (!bytes) {
			walk.problems.push(
				finding(
					'preimage-missing',
					`the preimage of ${ref.hash} (${via}${expected !== undefined ? `, length ${expected}` : ''}, from ${ref.from}) is missing: nobody can check what it runs, and it cannot be enacted until it is noted`,
				),
			);
		} else if (check.hashMatches === false) {
			walk.problems.push(finding('preimage-hash', `the bytes stored for preimage ${ref.hash} do not hash to it`));
		}
	}
	walk.preimages.push(check);
	if (!bytes) return;
	if (check.hashMatches) walk.calls.set(ref.hash, bytes);
	let call: Call;
	try {
		call = api.createType('Call', bytes) as Call;
	} catch (error) {
		walk.problems.push(
			finding(
				'preimage-undecodable',
				`the preimage ${ref.hash} does not decode as a call of this runtime: ${(error as Error).message}`,
			),
		);
		return;
	}
	if (call.encodedLength !== bytes.length) {
		walk.problems.push(
			finding(
				'preimage-undecodable',
				`the preimage ${ref.hash} has ${bytes.length - call.encodedLength} bytes after the call: it does not decode cleanly`,
			),
		);
	}
	check.call = walkCall(call).line;
	await visitCall(api, call, walk, [...path, `${via} ${short(ref.hash)}`], depth + 1);
}

export interface ChainReview {
	findings: ChainFindings;
	/** Code bytes of setCode-like upgrades, by code hash (to read their version, or to compare lengths). */
	codes: Map<Hex, Uint8Array>;
	/** The bytes of the calls references led to (preimages, Inline calls) that hash to their reference, by call hash. */
	calls: Map<Hex, Uint8Array>;
	resolved: ResolvedTarget;
}

/** Follow the target down to its upgrades. */
export async function reviewChain(api: ApiPromise, target: ReviewTarget, decodeRemote?: RemoteDecoder): Promise<ChainReview> {
	const resolved = await resolveTarget(api, target);
	const walk: Walk = {
		steps: [],
		upgrades: [],
		preimages: [],
		problems: [],
		notes: [],
		codes: new Map(),
		seen: new Set(),
		...(decodeRemote ? { decodeRemote } : {}),
		alsoDoes: [],
		calls: new Map(),
	};
	const atBlock = (await api.rpc.chain.getHeader()).number.toNumber();
	let proposal: ChainFindings['proposal'];
	if (resolved.top.kind === 'call') {
		const { call, hash } = resolved.top;
		const via = target.kind === 'multisig' ? 'multisig (Multisig.Calls)' : target.kind === 'call' ? 'call data' : 'motion';
		proposal = { hash, length: call.encodedLength, call: walkCall(call).line, via };
		walk.steps.push(`${resolved.label}, call hash ${hash}:`);
		await visitCall(api, call, walk, [resolved.label], 1);
	} else if (resolved.top.kind === 'ref') {
		const ref = resolved.top.ref;
		walk.steps.push(`${resolved.label}:`);
		await visitRef(api, ref, walk, [resolved.label], 1);
		const top = walk.preimages[0];
		const refLen = ref.kind === 'external-hash' ? undefined : ref.len;
		proposal = {
			hash: ref.hash,
			...(top?.length !== undefined ? { length: top.length } : refLen !== undefined ? { length: refLen } : {}),
			...(top?.call ? { call: top.call } : {}),
			via: ref.kind === 'bounded' ? ref.via : 'preimage',
		};
	} else {
		proposal = { via: 'none' };
		walk.problems.push(finding('target-missing', resolved.top.reason));
	}
	if (resolved.top.kind !== 'none' && walk.upgrades.length === 0 && !walk.problems.some((p) => p.severity === 'blocking')) {
		walk.notes.push(
			'no runtime upgrade (system.setCode, system.authorizeUpgrade, parachainSystem.authorizeUpgrade) inside this proposal',
		);
	}
	// One chain, one runtime: several distinct codes for the same chain (this one, or one destination) is suspect.
	const distinct = new Set(walk.upgrades.map((u) => u.codeHash));
	const chains = new Set(walk.upgrades.map((u) => u.destination ?? ''));
	if (distinct.size > chains.size)
		walk.problems.push(
			finding('several-upgrades', `the proposal holds ${distinct.size} different runtime upgrades: ${[...distinct].join(', ')}`),
		);
	// The same code twice for the same chain.
	const counts = new Map<string, { chain: string; hash: Hex; count: number }>();
	for (const u of walk.upgrades) {
		const chain = u.destination ?? 'this chain';
		const entry = counts.get(`${chain}|${u.codeHash}`) ?? { chain, hash: u.codeHash, count: 0 };
		entry.count++;
		counts.set(`${chain}|${u.codeHash}`, entry);
	}
	for (const { chain, hash, count } of counts.values())
		if (count > 1)
			walk.problems.push(finding('double-authorization', `code hash ${hash} is upgraded or authorized ${count} times for ${chain}`));
	return {
		findings: {
			target,
			label: resolved.label,
			proposal,
			alsoDoes: walk.alsoDoes,
			upgrades: walk.upgrades,
			preimages: walk.preimages,
			steps: walk.steps,
			problems: walk.problems,
			notes: walk.notes,
			atBlock,
		},
		codes: walk.codes,
		calls: walk.calls,
		resolved,
	};
}

/** Read spec name/version of the codes the proposal carries (executes Core_version when the code has no version section). */
export async function readUpgradeVersions(review: ChainReview): Promise<void> {
	const carrying = review.findings.upgrades.filter((u) => u.carriesCode && review.codes.has(u.codeHash));
	if (carrying.length === 0) return;
	const [{ parseArtifactBytes }, { runtimeVersionOf }, { holdExecutor }] = await Promise.all([
		import('../artifact/read.js'),
		import('../artifact/version.js'),
		import('../artifact/executor.js'),
	]);
	const release = holdExecutor();
	try {
		for (const u of carrying) {
			try {
				const artifact = parseArtifactBytes(review.codes.get(u.codeHash)!, `code ${short(u.codeHash)} on chain`);
				const version = await runtimeVersionOf(artifact.code, { module: artifact.module });
				u.specName = version.specName;
				u.specVersion = version.specVersion;
			} catch (error) {
				u.versionError = (error as Error).message;
			}
		}
	} finally {
		await release();
	}
}

// ── live vote state ─────────────────────────────────────────────────────────

export async function readVoteState(api: ApiPromise, resolved: ResolvedTarget): Promise<VoteState> {
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	const v = resolved.vote;
	switch (v.kind) {
		case 'none':
			return v;
		case 'motion': {
			const [voting, members, prime] = await Promise.all([
				motionState(api, v.collective, v.hash),
				collectiveMembers(api, v.collective),
				collectivePrime(api, v.collective),
			]);
			if (!voting) return { kind: 'none', reason: `the motion ${v.hash} is closed` };
			return {
				kind: 'motion',
				collective: v.collective,
				hash: v.hash,
				index: voting.index,
				threshold: voting.threshold,
				ayes: voting.ayes,
				nays: voting.nays,
				...(voting.end !== undefined ? { end: voting.end } : {}),
				members,
				...(prime !== undefined ? { prime } : {}),
				best,
			};
		}
		case 'democracy': {
			const r = await democracyReferendum(api, v.index);
			const issuance = (await totalIssuance(api))?.toString();
			if (!r) return { kind: 'none', reason: `referendum ${v.index} no longer exists` };
			if (!r.ongoing)
				return {
					kind: 'democracy',
					index: v.index,
					status: 'finished',
					approved: r.finished!.approved,
					end: r.finished!.end,
					best,
				};
			const o = r.ongoing;
			return {
				kind: 'democracy',
				index: v.index,
				status: 'ongoing',
				end: o.end,
				threshold: o.threshold,
				delay: o.delay,
				tally: { ayes: o.ayes.toString(), nays: o.nays.toString(), turnout: o.turnout.toString() },
				...(issuance ? { totalIssuance: issuance } : {}),
				best,
			};
		}
		case 'opengov': {
			const r = await openGovReferendum(api, v.index);
			if (!r) return { kind: 'none', reason: `referendum ${v.index} no longer exists` };
			if (!r.ongoing) return { kind: 'opengov', index: v.index, status: r.outcome.toLowerCase() as 'approved', best };
			const o = r.ongoing;
			const track = r.track;
			const t = referendaTrack(api, track);
			const since = o.decidingSince;
			const confirming = o.confirmingUntil;
			const submitted = o.submitted;
			const phase = since !== undefined ? (confirming !== undefined ? 'confirming' : 'deciding') : o.inQueue ? 'queued' : 'preparing';
			return {
				kind: 'opengov',
				index: v.index,
				status: 'ongoing',
				track,
				...(t
					? {
							trackName: t.name,
							periods: { prepare: t.prepare, decision: t.decision, confirm: t.confirm, minEnactment: t.minEnactment },
						}
					: {}),
				phase,
				submitted,
				...(since !== undefined ? { decidingSince: since } : {}),
				...(confirming !== undefined ? { confirmingUntil: confirming } : {}),
				...(t ? { decisionEnds: since !== undefined ? since + t.decision : submitted + t.prepare } : {}),
				...(o.enactment ? { enactment: o.enactment } : {}),
				tally: { ayes: o.ayes.toString(), nays: o.nays.toString(), support: o.support.toString() },
				best,
			};
		}
	}
}

function castVote(vote: AccountVoteView | undefined): CastVote | undefined {
	if (!vote) return undefined;
	const { aye, conviction, balance } = vote;
	return conviction === undefined ? { aye, balance } : { aye, conviction: conviction as Conviction, balance };
}

/** The reviewer's standing: member of the collective? already voted, and how? */
export async function readRole(api: ApiPromise, resolved: ResolvedTarget, state: VoteState, address: string): Promise<ReviewerRole> {
	const same = (a: string) => api.createType('AccountId', a).eq(api.createType('AccountId', address));
	if (state.kind === 'motion') {
		const member = state.members.some(same);
		const aye = state.ayes.some(same);
		const nay = state.nays.some(same);
		const voted = aye || nay ? { aye } : undefined;
		const body = `the ${COLLECTIVE_TITLE[state.collective]}`;
		return {
			address,
			member,
			...(voted ? { voted } : {}),
			summary: `${member ? `member of ${body}` : `NOT a member of ${body}`}${state.prime && same(state.prime) ? ' (prime)' : ''}; ${voted ? `has voted ${aye ? 'aye' : 'nay'}` : 'has not voted'}`,
		};
	}
	if (state.kind === 'democracy') {
		const voting = await democracyVoting(api, address);
		let voted: CastVote | undefined;
		for (const { index, vote } of voting.votes) if (index === state.index) voted = castVote(vote);
		const delegating = voting.delegating;
		return {
			address,
			...(voted ? { voted } : {}),
			summary: `any funded account may vote; ${delegating ? 'this account delegates its votes; ' : ''}${voted ? `has voted ${describeVote(voted)}` : 'has not voted'}`,
		};
	}
	if (state.kind === 'opengov' && state.track !== undefined) {
		const voting = await convictionVoting(api, address, state.track);
		let voted: CastVote | undefined;
		for (const { index, vote } of voting.votes) if (index === state.index) voted = castVote(vote);
		return {
			address,
			...(voted ? { voted } : {}),
			summary: `any funded account may vote on track ${state.trackName ?? state.track}; ${voting.delegating ? 'this account delegates on this track; ' : ''}${voted ? `has voted ${describeVote(voted)}` : 'has not voted'}`,
		};
	}
	void resolved;
	return { address, summary: state.kind === 'none' ? state.reason : 'no vote open' };
}

export function describeVote(v: CastVote): string {
	return `${v.aye ? 'aye' : 'nay'}${v.conviction ? ` (${v.conviction})` : ''}${v.balance ? ` with ${v.balance} planck` : ''}`;
}
