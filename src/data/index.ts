// Data area: NumPy .npy/.npz I/O and the transition-source interface.
export * from './npy';
export * from './transitions';
