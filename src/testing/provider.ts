/** The contract the fake fulfils (defined once, in src/bits/service.ts). */
export type { ServiceProvider } from '../bits/service';
