exports.up = function (knex) {
  return knex.schema.alterTable('users', (table) => {
    table.timestamp('seen_at').defaultTo(knex.fn.now());
  });
};

exports.down = function (knex) {
  return knex.schema.dropTableIfExists('nothing');
};
