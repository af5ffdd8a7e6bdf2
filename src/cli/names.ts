/** The command's names (package.json "bin"). */
export const BIN_NAME = 'delivery-optimization';
export const BIN_ALIAS = 'dopt';
