mkdir -p ~/pflow-lab
cd ~/pflow-lab
