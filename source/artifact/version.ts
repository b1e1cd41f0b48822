/**
 * The runtime version of a wasm: from the `runtime_version` (+ `runtime_apis`)
 * custom sections when the runtime embeds them (instant), otherwise by
 * executing `Core_version`. Decoded with @polkadot/types' RuntimeVersion
 * family, honouring the Core API version like `sp_version` does
 * (transaction_version from Core v3, state_version from Core v4).
 */
import { TypeRegistry } from '@polkadot/types';
import type { RuntimeVersion, RuntimeVersionPre3, RuntimeVersionPre4 } from '@polkadot/types/interfaces';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import type { Hex } from '../domain/types.js';
import { ArtifactError, describeError } from './errors.js';
import { callRuntimeApi, type RuntimeCallCache } from './executor.js';
import { parseWasmModule, type WasmModuleInfo } from './wasm.js';

export interface RuntimeApiVersion {
	/** blake2-64 of the API trait name. */
	id: Hex;
	/** The trait name when it is a well-known API. */
	name?: string;
	version: number;
}

export interface RuntimeVersionInfo {
	specName: string;
	implName: string;
	authoringVersion: number;
	specVersion: number;
	implVersion: number;
	/** 1 for runtimes whose Core API predates it (< v3), as `sp_version` does. */
	transactionVersion: number;
	/** Absent for runtimes whose Core API predates it (< v4). */
	stateVersion?: number;
	apis: RuntimeApiVersion[];
	/** Where the version was read from. */
	source?: 'runtime_version section' | 'Core_version' | 'chain';
}

const KNOWN_APIS = [
	'Core',
	'Metadata',
	'BlockBuilder',
	'TaggedTransactionQueue',
	'OffchainWorkerApi',
	'SessionKeys',
	'AccountNonceApi',
	'TransactionPaymentApi',
	'TransactionPaymentCallApi',
	'GrandpaApi',
	'BabeApi',
	'AuraApi',
	'AuthorityDiscoveryApi',
	'ParachainHost',
	'BeefyApi',
	'BeefyMmrApi',
	'MmrApi',
	'ValidateStatement',
	'GenesisBuilder',
	'CollectCollationInfo',
	'XcmPaymentApi',
	'DryRunApi',
	'LocationToAccountApi',
	'TrustedQueryApi',
	'NominationPoolsApi',
	'StakingApi',
	'AssetsApi',
	'ContractsApi',
	'ReviveApi',
	'FungiblesApi',
	'AssetConversionApi',
	'NftsApi',
	'Benchmark',
	'TryRuntime',
	'MixnetApi',
	'RuntimeViewFunction',
	'AuraUnincludedSegmentApi',
	'GetParachainInfo',
	'RelayParentOffsetApi',
	'GetLastTimestamp',
	'EthereumRuntimeRPCApi',
	'ConvertTransactionRuntimeApi',
	'DebugRuntimeApi',
	'TxPoolRuntimeApi',
	// Rococo/Wococo bridge APIs (Rococo 9140 era)
	'RococoFinalityApi',
	'WococoFinalityApi',
	'ToRococoOutboundLaneApi',
	'ToWococoOutboundLaneApi',
	'FromRococoInboundLaneApi',
	'FromWococoInboundLaneApi',
];

let apiNames: Map<string, string> | undefined;

/** The well-known name of a runtime API id (blake2-64 of the trait name), if any. */
export function runtimeApiName(id: string): string | undefined {
	apiNames ??= new Map(KNOWN_APIS.map((name) => [blake2AsHex(name, 64), name]));
	return apiNames.get(id.toLowerCase());
}

const CORE_API_ID = '0xdf6acb689907609b';

let registry: TypeRegistry | undefined;
function reg(): TypeRegistry {
	registry ??= new TypeRegistry();
	return registry;
}

/** Decode the `runtime_apis` custom section: concatenated `[u8; 8]` id + `u32` LE version. */
export function decodeRuntimeApisSection(section: Uint8Array): RuntimeApiVersion[] {
	const apis: RuntimeApiVersion[] = [];
	for (let at = 0; at + 12 <= section.length; at += 12) {
		const id = u8aToHex(section.subarray(at, at + 8)) as Hex;
		const version = (section[at + 8]! | (section[at + 9]! << 8) | (section[at + 10]! << 16)) + section[at + 11]! * 0x1000000;
		apis.push({ id, name: runtimeApiName(id), version });
	}
	return apis;
}

/**
 * Decode SCALE `RuntimeVersion` bytes. `coreVersionHint` is the Core API
 * version when known from elsewhere (the custom section carries empty apis).
 */
export function decodeRuntimeVersion(bytes: Uint8Array, coreVersionHint?: number): RuntimeVersionInfo {
	try {
		const r = reg();
		const pre3 = r.createType<RuntimeVersionPre3>('RuntimeVersionPre3', bytes);
		if (pre3.encodedLength > bytes.length) throw new Error(`needs ${pre3.encodedLength} bytes, got ${bytes.length}`);
		const apis: RuntimeApiVersion[] = pre3.apis.map(([id, version]) => {
			const hex = id.toHex() as Hex;
			return { id: hex, name: runtimeApiName(hex), version: version.toNumber() };
		});
		const core = coreVersionHint ?? apis.find((a) => a.id === CORE_API_ID)?.version;
		const rest = bytes.length - pre3.encodedLength;
		const hasTx = core !== undefined ? core >= 3 : rest >= 4;
		const hasState = core !== undefined ? core >= 4 : rest >= 5;
		let transactionVersion = 1;
		let stateVersion: number | undefined;
		if (hasState) {
			const full = r.createType<RuntimeVersion>('RuntimeVersion', bytes);
			if (full.encodedLength > bytes.length) throw new Error('ends before state_version');
			transactionVersion = full.transactionVersion.toNumber();
			stateVersion = full.stateVersion.toNumber();
		} else if (hasTx) {
			const pre4 = r.createType<RuntimeVersionPre4>('RuntimeVersionPre4', bytes);
			if (pre4.encodedLength > bytes.length) throw new Error('ends before transaction_version');
			transactionVersion = pre4.transactionVersion.toNumber();
		}
		const specName = pre3.specName.toString();
		if (!specName || !/^[\x20-\x7e]+$/.test(specName)) throw new Error(`implausible spec name ${JSON.stringify(specName)}`);
		return {
			specName,
			implName: pre3.implName.toString(),
			authoringVersion: pre3.authoringVersion.toNumber(),
			specVersion: pre3.specVersion.toNumber(),
			implVersion: pre3.implVersion.toNumber(),
			transactionVersion,
			...(stateVersion === undefined ? {} : { stateVersion }),
			apis,
		};
	} catch (error) {
		throw new ArtifactError(
			'bad-version',
			`the runtime version does not decode: ${describeError(error)}`,
			'The wasm is corrupt or not a Substrate runtime',
		);
	}
}

/** The runtime version from the custom sections alone, or undefined when the runtime does not embed it. */
export function embeddedRuntimeVersion(module: WasmModuleInfo): RuntimeVersionInfo | undefined {
	const section = module.customSections.get('runtime_version');
	if (!section) return undefined;
	const apisSection = module.customSections.get('runtime_apis');
	const apis = apisSection ? decodeRuntimeApisSection(apisSection) : undefined;
	const core = apis?.find((a) => a.id === CORE_API_ID)?.version;
	const version = decodeRuntimeVersion(section, core);
	if (apis) version.apis = apis;
	return { ...version, source: 'runtime_version section' };
}

export interface VersionOptions {
	/** The already-parsed module (saves a walk over the sections). */
	module?: WasmModuleInfo;
	/** For messages. */
	path?: string;
	/** Skip the custom sections and always execute Core_version. */
	execute?: boolean;
	/** Answer Core_version from / store it in this cache, keyed by `cacheKey` (the code hash). */
	cache?: RuntimeCallCache;
	cacheKey?: string;
}

/** The runtime version of `code` (a decompressed wasm). */
export async function runtimeVersionOf(code: Uint8Array, options: VersionOptions = {}): Promise<RuntimeVersionInfo> {
	const module = options.module ?? parseWasmModule(code, options.path);
	if (!options.execute) {
		try {
			const embedded = embeddedRuntimeVersion(module);
			if (embedded) return embedded;
		} catch {
			// A section that does not decode: let Core_version decide.
		}
	}
	let bytes: Uint8Array;
	try {
		bytes = await callRuntimeApi(code, 'Core_version', [], { path: options.path, cache: options.cache, cacheKey: options.cacheKey });
	} catch (error) {
		// The executor decodes the version itself before running anything.
		if (error instanceof ArtifactError && /Core_version.*Decode/i.test(error.message)) {
			throw new ArtifactError(
				'bad-version',
				'Core_version returned bytes that are not a RuntimeVersion',
				'The wasm is corrupt or not a Substrate runtime',
				options.path,
				{ cause: error },
			);
		}
		throw error;
	}
	let version: RuntimeVersionInfo;
	try {
		version = decodeRuntimeVersion(bytes);
	} catch (error) {
		throw new ArtifactError(
			'bad-version',
			`Core_version returned ${bytes.length} bytes that are not a RuntimeVersion`,
			'The wasm is corrupt or not a Substrate runtime',
			options.path,
			{ cause: error },
		);
	}
	if (version.apis.length === 0) {
		const apisSection = module.customSections.get('runtime_apis');
		if (apisSection) version.apis = decodeRuntimeApisSection(apisSection);
	}
	return { ...version, source: 'Core_version' };
}
