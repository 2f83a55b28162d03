exports.up = function (knex) {
  return knex.schema.alterTable('users', (table) => {
    table.string('email').notNullable().alter();
  });
};

exports.down = function (knex) {
  return knex.schema.dropTableIfExists('nothing');
};
