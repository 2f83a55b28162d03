class Change < ActiveRecord::Migration[7.1]
  def self.up
    create_table :reports
  end

  def self.down
    drop_table :reports
  end
end
