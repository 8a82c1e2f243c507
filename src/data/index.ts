// Data area: NumPy .npy/.npz I/O, the transition-source interface, and the abstract-state chain.
export * from './npy';
export * from './transitions';
export * from './abstract_chain';
