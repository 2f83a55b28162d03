exports.up = function (knex) {
  return knex.schema.alterTable('users', (table) => {
    table.uuid('token').defaultTo(knex.raw('gen_random_uuid()'));
  });
};

exports.down = function (knex) {
  return knex.schema.dropTableIfExists('nothing');
};
