exports.up = async function (knex) {
  await knex.schema.alterTable('users', (t) => t.string('legacy_code'));
};

exports.down = async function (knex) {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('legacy_code');
  });
};
