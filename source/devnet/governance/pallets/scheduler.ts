/** pallet_scheduler, following substrate/frame/scheduler. */
import type { u32 } from '@polkadot/types';
import type { GenericCall } from '@polkadot/types';
import {
	callerToOrigin,
	DispatchErr,
	type Handler,
	type Origin,
	originToCaller,
	type Pallet,
	type SchedulerProvider,
	Runtime,
} from '../runtime.js';
import type { Hex } from '../storage.js';

interface ScheduledJson {
	maybeId: Hex | null;
	priority: number;
	call: unknown;
	maybePeriodic: null;
	origin: unknown;
}

function agenda(rt: Runtime, when: number): Array<ScheduledJson | null> {
	const a = rt.store.get('Scheduler', 'Agenda', [when]) as any;
	return (a as any[]).map((slot: any) => (slot.isSome ? (slot.unwrap().toJSON() as ScheduledJson) : null));
}

function placeTask(rt: Runtime, when: number, task: ScheduledJson): number {
	const a = agenda(rt, when);
	const max = rt.meta.constant<u32>('Scheduler', 'MaxScheduledPerBlock').toNumber();
	let index: number;
	if (a.length < max) {
		a.push(task);
		index = a.length - 1;
	} else {
		index = a.findIndex((x) => x === null);
		if (index < 0) throw rt.error('Scheduler', 'FailedToSchedule');
		a[index] = task;
	}
	rt.store.put('Scheduler', 'Agenda', [when], a);
	if (task.maybeId) rt.store.put('Scheduler', 'Lookup', [task.maybeId], [when, index]);
	rt.deposit('Scheduler', 'Scheduled', [when, index]);
	return index;
}

function boundedCodec(rt: Runtime, bounded: unknown): any {
	return rt.registry.createType('FrameSupportPreimagesBounded', bounded);
}

/** Scheduler::do_schedule(_named): resolve the time, place the task, request a looked-up preimage. */
function doSchedule(rt: Runtime, id: Hex | null, when: number, origin: Origin, call: unknown, priority: number): number {
	if (when <= rt.number) throw rt.error('Scheduler', 'TargetBlockNumberInPast');
	if (id && rt.store.exists('Scheduler', 'Lookup', [id])) throw rt.error('Scheduler', 'FailedToSchedule');
	const b = boundedCodec(rt, call);
	const index = placeTask(rt, when, { maybeId: id, priority, call: b.toJSON(), maybePeriodic: null, origin: originToCaller(origin) });
	const hash = Runtime.boundedLookupHash(b);
	if (hash) rt.requestPreimage(hash);
	return index;
}

function dropBounded(rt: Runtime, bounded: any): void {
	const hash = Runtime.boundedLookupHash(bounded);
	if (hash) rt.unrequestPreimage(hash);
}

function doCancel(rt: Runtime, when: number, index: number): void {
	const a = agenda(rt, when);
	const task = a[index];
	if (!task) throw rt.error('Scheduler', 'NotFound');
	a[index] = null;
	dropBounded(rt, boundedCodec(rt, task.call));
	if (task.maybeId) rt.store.remove('Scheduler', 'Lookup', [task.maybeId]);
	if (a.every((x) => x === null)) rt.store.remove('Scheduler', 'Agenda', [when]);
	else rt.store.put('Scheduler', 'Agenda', [when], a);
	rt.deposit('Scheduler', 'Canceled', [when, index]);
}

/** Scheduler::on_initialize: dispatch the agenda for this block in priority order. */
async function serviceAgenda(rt: Runtime): Promise<void> {
	const when = rt.number;
	const a = agenda(rt, when);
	if (!a.length) return;
	const order = a
		.map((t, i) => [t, i] as const)
		.filter(([t]) => t !== null)
		.sort((x, y) => x[0]!.priority - y[0]!.priority);
	for (const [task, index] of order) {
		if (!task) continue;
		const id = task.maybeId;
		if (id) rt.store.remove('Scheduler', 'Lookup', [id]);
		const bounded = boundedCodec(rt, task.call);
		const bytes = rt.peekBounded(bounded);
		let call: GenericCall | undefined;
		try {
			call = bytes ? rt.decodeCall(bytes) : undefined;
			if (call && call.encodedLength !== bytes!.length) call = undefined;
		} catch {
			call = undefined;
		}
		if (!call) {
			rt.deposit('Scheduler', 'CallUnavailable', [[when, index], id]);
			dropBounded(rt, bounded);
			continue;
		}
		const origin = callerToOrigin(rt.registry.createType(rt.meta.originCallerType, task.origin));
		const res = await rt.dispatch(call, origin);
		rt.deposit('Scheduler', 'Dispatched', [[when, index], id, rt.encodeDispatchResult(res)]);
		dropBounded(rt, bounded);
	}
	rt.store.remove('Scheduler', 'Agenda', [when]);
}

function noPeriodic(maybePeriodic: { isSome: boolean }): void {
	if (maybePeriodic.isSome)
		throw new DispatchErr({ Other: null }, 'periodic scheduler tasks are not modelled by the governance devnet (simulation)');
}

export const schedulerHandlers: Record<string, Handler> = {
	'scheduler.schedule': (rt, o, [when, periodic, priority, call]) => {
		rt.ensureRoot(o);
		noPeriodic(periodic);
		doSchedule(rt, null, when.toNumber(), o, rt.bound(call.toU8a()), priority.toNumber());
	},
	'scheduler.scheduleNamed': (rt, o, [id, when, periodic, priority, call]) => {
		rt.ensureRoot(o);
		noPeriodic(periodic);
		doSchedule(rt, id.toHex(), when.toNumber(), o, rt.bound(call.toU8a()), priority.toNumber());
	},
	'scheduler.scheduleAfter': (rt, o, [after, periodic, priority, call]) => {
		rt.ensureRoot(o);
		noPeriodic(periodic);
		doSchedule(rt, null, rt.number + after.toNumber() + 1, o, rt.bound(call.toU8a()), priority.toNumber());
	},
	'scheduler.scheduleNamedAfter': (rt, o, [id, after, periodic, priority, call]) => {
		rt.ensureRoot(o);
		noPeriodic(periodic);
		doSchedule(rt, id.toHex(), rt.number + after.toNumber() + 1, o, rt.bound(call.toU8a()), priority.toNumber());
	},
	'scheduler.cancel': (rt, o, [when, index]) => {
		rt.ensureRoot(o);
		doCancel(rt, when.toNumber(), index.toNumber());
	},
	'scheduler.cancelNamed': (rt, o, [id]) => {
		rt.ensureRoot(o);
		const at = rt.store.get('Scheduler', 'Lookup', [id.toHex()]) as any;
		if (!at) throw rt.error('Scheduler', 'NotFound');
		doCancel(rt, at[0].toNumber(), at[1].toNumber());
	},
};

/** ScheduleNamed for the other pallets (Runtime.scheduleNamed). */
const schedulerService: SchedulerProvider = {
	scheduleNamed: (rt, id, when, origin, call, priority) => {
		doSchedule(rt, id, when, origin, call, priority);
	},
};

export const scheduler: Pallet = {
	name: 'Scheduler',
	calls: schedulerHandlers,
	onInitialize: serviceAgenda,
	services: { scheduler: schedulerService },
};
