/**
 * Does the chain still show what the release recorded on it? Read when a
 * session opens (console and `advance`), before any step: the blocks the
 * release's extrinsics and upgrade were included in must exist with the same
 * hashes, the embedded chain must be the same instance, and where an upgrade
 * was recorded the chain must run the artifact's code (or a later version).
 *
 * What differs is named, never summarised: "block #12 is 0x… on chain, the
 * release recorded 0x… (sudo.sudoUncheckedWeight(system.setCode))".
 */
import type { ApiPromise } from '@polkadot/api';
import type { ChainDifference, EnvProgress, Hex, Release } from '../domain/types.js';
import { onChainCodeHash } from '../chain/live.js';
import { artifactFor } from '../domain/release.js';
import { readChainInstance, type ChainInstance } from '../chain/embedded.js';

export interface Agreement {
	head: number;
	instance?: ChainInstance;
	differences: ChainDifference[];
	/** Facts that are not differences but worth a line (a later upgrade on the same chain). */
	notes: string[];
}

interface BlockFact {
	number: number;
	hash?: Hex;
	what: string;
}

/** At most this many recorded blocks are read back (the newest first); enough for every route's trail. */
const MAX_BLOCKS = 64;

function blockFacts(progress: EnvProgress): BlockFact[] {
	const facts: BlockFact[] = [];
	// The upgrade first: where its extrinsic's block is also recorded, the line names the upgrade.
	if (progress.upgrade) facts.push({ number: progress.upgrade.blockNumber, hash: progress.upgrade.blockHash, what: 'the upgrade' });
	for (const intent of progress.intents) {
		const o = intent.outcome;
		if (o && o.status !== 'dropped' && o.blockNumber !== undefined)
			facts.push({ number: o.blockNumber, ...(o.blockHash ? { hash: o.blockHash } : {}), what: intent.call });
	}
	if (progress.verified) facts.push({ number: progress.verified.blockNumber, what: 'the verification' });
	if (progress.soak) facts.push({ number: progress.soak.lastBlock, what: 'the soak' });
	const gov = progress.gov;
	if (gov?.preimage?.notedAt !== undefined) facts.push({ number: gov.preimage.notedAt, what: 'the preimage' });
	if (gov?.council?.closedAt !== undefined) facts.push({ number: gov.council.closedAt, what: 'the council motion' });
	if (gov?.fastTrack?.closedAt !== undefined) facts.push({ number: gov.fastTrack.closedAt, what: 'the fast-track motion' });
	if (gov?.referendum?.approvedAt !== undefined) facts.push({ number: gov.referendum.approvedAt, what: 'the referendum' });
	if (gov?.enactment?.blockNumber !== undefined) facts.push({ number: gov.enactment.blockNumber, what: 'the enactment' });
	// One read per block: a fact with a hash wins over one without.
	const byNumber = new Map<number, BlockFact>();
	for (const f of facts) {
		const seen = byNumber.get(f.number);
		if (!seen || (!seen.hash && f.hash)) byNumber.set(f.number, f);
	}
	return [...byNumber.values()].sort((a, b) => b.number - a.number).slice(0, MAX_BLOCKS);
}

/** Whether the env's progress holds anything the chain should show. */
export function hasChainFacts(progress: EnvProgress): boolean {
	return blockFacts(progress).length > 0;
}

export async function checkAgreement(api: ApiPromise, release: Release, envName: string): Promise<Agreement> {
	const progress = release.progress[envName];
	const header = await api.rpc.chain.getHeader();
	const head = header.number.toNumber();
	const instance = await readChainInstance(api);
	const differences: ChainDifference[] = [];
	const notes: string[] = [];
	if (!progress) return { head, ...(instance ? { instance } : {}), differences, notes };

	const recorded = progress.chain?.instance;
	if (recorded && instance && recorded !== instance.id) {
		differences.push({
			kind: 'instance',
			message: `the embedded chain is another instance (${instance.id}${instance.createdAt ? `, created ${instance.createdAt}` : ''}) than the one this release was rehearsed on (${recorded}): it was reset or replaced`,
		});
	}

	const facts = blockFacts(progress);
	const hashes = await Promise.all(
		facts.map((f) => (f.hash && f.number <= head ? api.rpc.chain.getBlockHash(f.number).then((h) => h.toHex() as Hex) : undefined)),
	);
	facts.forEach((f, i) => {
		if (f.number > head) {
			differences.push({ kind: 'block', message: `block #${f.number} (${f.what}) does not exist: the chain's head is #${head}` });
			return;
		}
		const now = hashes[i];
		if (f.hash && now && now !== f.hash)
			differences.push({
				kind: 'block',
				message: `block #${f.number} is ${now} on chain, the release recorded ${f.hash} (${f.what})`,
			});
	});

	// Where an upgrade is recorded, the chain must run this code, or a later version that replaced it.
	if ((progress.upgrade || progress.verified) && differences.length === 0) {
		const version = await api.rpc.state.getRuntimeVersion();
		const spec = version.specVersion.toNumber();
		const specName = version.specName.toString();
		const want = artifactFor(release, envName);
		if (spec > want.specVersion && specName === want.specName) {
			notes.push(`the chain has moved on since: it runs ${specName} ${spec} now (this release upgraded it to ${want.specVersion})`);
		} else if (spec !== want.specVersion || specName !== want.specName) {
			differences.push({
				kind: 'spec',
				message: `the chain runs ${specName} ${spec}, not ${want.specName} ${want.specVersion} that this release recorded as upgraded`,
			});
		} else {
			const code = await onChainCodeHash(api);
			if (code !== want.codeHash)
				differences.push({
					kind: 'code',
					message: `the code on chain is ${code ?? 'absent'}, not the artifact's ${want.codeHash}`,
				});
		}
	}
	return { head, ...(instance ? { instance } : {}), differences, notes };
}

/** What a difference means for the release, for the screen and `advance`. */
export function disagreementText(envName: string, differences: ChainDifference[], rederived: boolean): string[] {
	return [
		`The chain behind ${envName} does not show what this release recorded on it:`,
		...differences.map((d) => `- ${d.message}`),
		rederived
			? `${envName} is an embedded chain, so its stages were derived again from the chain: the rehearsal on ${envName} starts again. The earlier record is kept (audit log; \`status --json\` under superseded).`
			: 'Nothing was changed and nothing will be sent until the chain shows the release again.',
	];
}
