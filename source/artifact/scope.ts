/** The pallet label used for changes that are not about one pallet (a module of its own: no metadata code loads with it). */
export const RUNTIME_SCOPE = '(runtime)';
