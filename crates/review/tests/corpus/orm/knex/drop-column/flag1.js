exports.up = function (knex) {
  return knex.schema.alterTable('users', (table) => {
    table.dropColumn('legacy_code');
  });
};

exports.down = function (knex) {
  return knex.schema.dropTableIfExists('nothing');
};
