exports.up = async function (knex) {
  await knex.schema.createTable('widgets', (t) => t.increments());
  await knex.schema.alterTable('widgets', (t) => {
    t.index(['id']);
  });
};

exports.down = async function (knex) {
  return Promise.resolve();
};
