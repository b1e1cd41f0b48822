import { useRef, useState } from 'react';

/**
 * State whose latest value is also readable at once through a ref: keys can
 * arrive faster than renders, and each must see what the previous one did.
 */
export function useSyncedState<T>(initial: T): [T, (update: T | ((prev: T) => T)) => void, { current: T }] {
	const [value, setValue] = useState(initial);
	const ref = useRef(initial);
	const set = (update: T | ((prev: T) => T)) => {
		ref.current = typeof update === 'function' ? (update as (prev: T) => T)(ref.current) : update;
		setValue(ref.current);
	};
	return [value, set, ref];
}
