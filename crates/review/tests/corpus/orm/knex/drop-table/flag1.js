exports.up = async function (knex) {
  await knex.schema.dropTable('legacy_reports');
};

exports.down = async function (knex) {
  return Promise.resolve();
};
