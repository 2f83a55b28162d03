class Change < ActiveRecord::Migration[7.1]
  def change
    execute <<~SQL
      UPDATE users SET flag = true WHERE id < 1000;
    SQL
  end
end
