// Eigenoptions area: the Option interface, eigenoptions on a known model, metrics.
export * from './option';
export * from './options';
export * from './metrics';
export * from './lookahead';
