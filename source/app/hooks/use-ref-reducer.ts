import { useMemo, useRef, useState } from 'react';

export interface RefReducer<S, A> {
	/** The state as last rendered. */
	state: S;
	/** The state now, after every action so far: keys arrive faster than renders, and each must see what the one before did. */
	current: () => S;
	dispatch: (action: A) => void;
}

/** `useReducer`, with the reducer run on a ref first (so the next key reads the new state at once), then rendered. */
export function useRefReducer<S, A>(reducer: (state: S, action: A) => S, initial: S): RefReducer<S, A> {
	const ref = useRef<S>(initial);
	const [state, setState] = useState<S>(ref.current);
	const actions = useMemo(
		() => ({
			current: () => ref.current,
			dispatch: (action: A) => {
				ref.current = reducer(ref.current, action);
				setState(ref.current);
			},
		}),
		// A module-level reducer: the same function on every render.
		[reducer],
	);
	return { state, ...actions };
}
