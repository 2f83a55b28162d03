exports.up = function (knex) {
  return knex.schema.alterTable('users', (table) => {
    table.string('status').notNullable().defaultTo('new');
  });
};

exports.down = function (knex) {
  return knex.schema.dropTableIfExists('nothing');
};
