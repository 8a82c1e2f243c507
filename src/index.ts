// Public API of eigenopt. Each area keeps its own index; this file only re-exports them.
export * from './ale';
