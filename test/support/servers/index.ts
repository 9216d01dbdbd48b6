export * from './loopback.js';
export * from './dns.js';
export * from './tls.js';
export * from './hostile.js';
