class Change < ActiveRecord::Migration[7.1]
  def change
    execute 'SELECT 1'
  end
end
