import { useEffect, useReducer } from 'react';

/** Which frame of a multi-frame QR code is shown. */
export interface QrCodeState {
	/** Frames in the code now shown (they change when the payload or the space does). */
	count: number;
	index: number;
}

export type QrCodeAction = { type: 'next' } | { type: 'reset'; count: number };

export function qrCodeReducer(state: QrCodeState, action: QrCodeAction): QrCodeState {
	switch (action.type) {
		case 'next':
			return state.count > 1 ? { ...state, index: (state.index + 1) % state.count } : state;
		case 'reset':
			return action.count === state.count && state.index < action.count ? state : { count: action.count, index: 0 };
	}
}

/** Polkadot Vault collects the frames of a multipart code as they pass; this is one frame's time on screen. */
export const DEFAULT_FRAME_MS = 500;

/**
 * The frame to show of `count` frames, cycling every `intervalMs` while there is more
 * than one (Vault reads animated multi-frame codes); back to the first when `count` changes.
 */
export function useQrCodeState(count: number, intervalMs = DEFAULT_FRAME_MS): QrCodeState {
	const [state, dispatch] = useReducer(qrCodeReducer, { count, index: 0 });
	useEffect(() => {
		dispatch({ type: 'reset', count });
	}, [count]);
	useEffect(() => {
		if (count <= 1) return;
		const timer = setInterval(() => dispatch({ type: 'next' }), intervalMs);
		return () => clearInterval(timer);
	}, [count, intervalMs]);
	// Before the reset effect has run for a new count, show the first frame rather than an index past the end.
	return state.count === count ? state : { count, index: 0 };
}
