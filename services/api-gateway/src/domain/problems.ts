// Kept for the proxy's import while it moves to ./errors, where every gateway problem now lives.
export { serviceCredentialRefused } from './errors';
