// The anchor for the console's first frame: the smallest Ink app.
import React from 'react';
import { render, Text, useInput, useApp } from 'ink';

function Hello() {
	const { exit } = useApp();
	useInput(() => exit());
	return React.createElement(Text, null, 'hello');
}
render(React.createElement(Hello));
