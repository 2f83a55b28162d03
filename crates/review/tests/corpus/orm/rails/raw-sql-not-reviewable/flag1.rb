class Change < ActiveRecord::Migration[7.1]
  def change
    execute "UPDATE #{table_name} SET flag = true"
  end
end
