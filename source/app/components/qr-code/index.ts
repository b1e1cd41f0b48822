export * from './qr-code.js';
export * from './use-qr-code-state.js';
