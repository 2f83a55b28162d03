exports.up = function (knex) {
  return knex.schema.alterTable('users', (table) => {
    table.bigInteger('visits').alter();
  });
};

exports.down = function (knex) {
  return knex.schema.dropTableIfExists('nothing');
};
