/** How long a claim holds off other scans on a shared store; measured on the wall clock. */
export const CLAIM_LEASE_SECONDS = 900;
export const CLAIM_LEASE_MS = CLAIM_LEASE_SECONDS * 1000;
