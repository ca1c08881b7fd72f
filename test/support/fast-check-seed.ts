// FC_SEED=<seed> replays a property failure that fast-check reported (with its seed) on any machine.
import fc from 'fast-check'

if (process.env.FC_SEED) fc.configureGlobal({ seed: Number(process.env.FC_SEED) })
