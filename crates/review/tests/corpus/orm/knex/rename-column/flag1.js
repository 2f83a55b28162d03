exports.up = function (knex) {
  return knex.schema.alterTable('users', (table) => {
    table.renameColumn('name', 'full_name');
  });
};

exports.down = function (knex) {
  return knex.schema.dropTableIfExists('nothing');
};
