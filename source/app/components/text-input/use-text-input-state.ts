import { useMemo } from 'react';
import { useRefReducer } from '../../hooks/use-ref-reducer.js';

export interface TextInputState {
	value: string;
}

export type TextInputAction = { type: 'insert'; text: string } | { type: 'delete-backward' } | { type: 'set'; value: string };

/** Characters a field never takes: C0 and C1 control characters (DEL included). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/gu;

export function textInputReducer(state: TextInputState, action: TextInputAction): TextInputState {
	switch (action.type) {
		case 'insert': {
			const text = action.text.replace(CONTROL, '');
			return text ? { value: state.value + text } : state;
		}
		case 'delete-backward': {
			// one character, not one UTF-16 unit
			const chars = [...state.value];
			chars.pop();
			return { value: chars.join('') };
		}
		case 'set':
			return { value: action.value.replace(CONTROL, '') };
	}
}

export interface TextInputStateHook {
	/** The value as last rendered. */
	value: string;
	/** The value now, after every key handled so far (keys arrive faster than renders). */
	current: () => string;
	insert: (text: string) => void;
	deleteBackward: () => void;
	set: (value: string) => void;
}

/** A text field's value, readable at once after each key (the reducer runs on a ref, then renders). */
export function useTextInputState(initial = ''): TextInputStateHook {
	const { state, current, dispatch } = useRefReducer(textInputReducer, { value: initial });
	const actions = useMemo(
		() => ({
			current: () => current().value,
			insert: (text: string) => dispatch({ type: 'insert', text }),
			deleteBackward: () => dispatch({ type: 'delete-backward' }),
			set: (value: string) => dispatch({ type: 'set', value }),
		}),
		[current, dispatch],
	);
	return { value: state.value, ...actions };
}
