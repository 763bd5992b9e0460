/** Plot Palette's shared backend library: models, constants, pricing and utilities. */
export * from './constants.ts';
export * from './models.ts';
export * from './pricing.ts';
export * from './cost-tracking.ts';
export * from './items.ts';
export * from './jobs-table.ts';
export * from './utils.ts';
export * from './logger.ts';
