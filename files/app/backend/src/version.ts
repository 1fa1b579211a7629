export const SERVICE_NAME = 'webapp-backend';
export const VERSION = '1.0.0';
