// Only the cycle rule of .dependency-cruiser.cjs, with its options: `npm run deps:cycles` (and `npm run deps`) checks
// that the import graph of src/ has no cycle, whatever the state of the layout.
const full = require('./.dependency-cruiser.cjs');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: full.forbidden.filter((rule) => rule.name === 'no-circular'),
  options: full.options,
};
