exports.up = function (knex) {
  return knex.schema.createTable('users', (table) => {
    table.string('status').notNullable();
  });
};

exports.down = function (knex) {
  return knex.schema.dropTableIfExists('nothing');
};
