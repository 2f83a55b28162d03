class Change < ActiveRecord::Migration[7.1]
  def change
    change_column :users, :age, :bigint
  end
end
