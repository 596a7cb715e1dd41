// eslint-disable-next-line @typescript-eslint/no-require-imports
const { nextRestart } = require('./restart-policy');

describe('restart backoff of the npm start supervisor', () => {
  const policy = { initialMs: 500, factor: 2, maxMs: 30000, resetAfterMs: 30000 };

  it('restarts a process that crashes again at once after 0.5 s, 1 s, 2 s, 4 s …', () => {
    let state = { crashes: 0 };
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      state = nextRestart(state, 1000, policy);
      delays.push(state.delayMs);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  it('never waits longer than the cap, however often it crashes', () => {
    let state = { crashes: 0 };
    for (let i = 0; i < 20; i++) state = nextRestart(state, 10, policy);
    expect(state).toEqual({ crashes: 20, delayMs: 30000 });
  });

  it('starts the count again after the process stayed up for the reset period', () => {
    const crashing = { crashes: 6 };
    expect(nextRestart(crashing, 29999, policy)).toEqual({ crashes: 7, delayMs: 30000 });
    expect(nextRestart(crashing, 30000, policy)).toEqual({ crashes: 1, delayMs: 500 });
  });

  it('uses the documented defaults when no policy is given', () => {
    expect(nextRestart({ crashes: 0 }, 0)).toEqual({ crashes: 1, delayMs: 500 });
    expect(nextRestart({ crashes: 3 }, 0)).toEqual({ crashes: 4, delayMs: 4000 });
    expect(nextRestart({ crashes: 3 }, 60000)).toEqual({ crashes: 1, delayMs: 500 });
  });
});
