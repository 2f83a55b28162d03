class Change < ActiveRecord::Migration[7.1]
  def change
    add_column :users, :note, :string, default: "random()"
  end
end
