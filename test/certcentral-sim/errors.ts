/** A test or a command line asked the simulator for something it cannot do (unknown order, bad date, …). */
export class SimulatorInputError extends Error {
  override readonly name = 'SimulatorInputError';
}
