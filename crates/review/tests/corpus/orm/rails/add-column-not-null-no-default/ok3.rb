class Change < ActiveRecord::Migration[7.1]
  def change
    execute <<~SQL
      -- add_column :users, :status, :string, null: false
      SELECT 1;
    SQL
  end
end
