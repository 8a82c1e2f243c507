// Data area: NumPy .npy/.npz I/O, the transition-source interface and its sources (listable worlds,
// replay buffers of random-walk experience, rollout datasets on disk), rollout shards, and the
// abstract-state chain.
export * from './npy';
export * from './transitions';
export * from './mdp_source';
export * from './replay';
export * from './rollout_source';
export * from './rollout';
export * from './frame_pairs';
export * from './abstract_chain';
